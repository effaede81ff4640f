from attache.ingest.dedup import jaccard, near_duplicate_groups, shingles
from attache.ingest.settings import DedupSettings

STORY = (
    "Kazakh Foreign Minister Murat Nurtleu met his Finnish counterpart Elina Valtonen in Astana on Tuesday "
    "to discuss trade, energy and the OSCE. The ministers agreed to hold the next round of political "
    "consultations in Helsinki early next year and welcomed the growth of bilateral trade, which reached "
    "208.2 million US dollars in the first eight months of this year."
)
REPUBLISHED = STORY.replace("on Tuesday", "this week").replace("welcomed", "praised").replace("early next year", "in 2025")
OTHER = "The African Union summit in Addis Ababa ended on Sunday with a declaration on food security and a pledge of $2 billion."


def test_dedup_shingles_ignore_case_and_punctuation():
    assert shingles("The UN, the un.", 2) == {"the un", "un the"}


def test_dedup_groups_republished_story_but_not_other():
    groups, pairs = near_duplicate_groups(["a", "b", "c"], [STORY, REPUBLISHED, OTHER], DedupSettings())
    assert groups == [["a", "b"]]
    assert pairs[0][:2] == ("a", "b") and pairs[0][2] >= 0.5


def test_dedup_grouping_is_transitive():
    third = REPUBLISHED.replace("energy", "transport")
    groups, _ = near_duplicate_groups(["a", "b", "c", "d"], [STORY, OTHER, REPUBLISHED, third], DedupSettings())
    assert groups == [["a", "c", "d"]]


def test_dedup_jaccard_of_disjoint_texts_is_zero():
    assert jaccard(shingles(STORY, 3), shingles(OTHER, 3)) == 0
