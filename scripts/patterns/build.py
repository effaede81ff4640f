"""Generate configs/patterns/*.jsonl for the attache entity ruler.

The JSONL files are generated: edit the data here (countries.txt,
data_*.py), then run from the repository root:

    .venv/bin/python scripts/patterns/build.py [outdir]
"""
import json
import sys
from collections import OrderedDict, defaultdict
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).parent))
from data_orgs import INTL_ORGS, GOV_ORGS, ORGS  # noqa: E402
from data_misc import TERRITORIES, LOCS, NORP_BROAD  # noqa: E402
from data_roles_agr_evt import ROLE_PHRASES, AGREEMENTS, EVENTS  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "configs" / "patterns")
nlp = spacy.blank("en")


def toks(text):
    return [t.text for t in nlp.make_doc(text)]


files = defaultdict(list)          # file stem -> list of pattern dicts
registry = {}                      # phrase -> (label, file)
conflicts = []


def phrase(file, label, text, pid):
    variants = [text]
    if "'" in text:
        variants.append(text.replace("'", "\u2019"))
    for v in variants:
        if v in registry:
            if registry[v][0] != label:
                conflicts.append((v, registry[v], (label, file)))
            continue
        registry[v] = (label, file)
        files[file].append(OrderedDict(label=label, pattern=v, id=pid))


def token(file, label, pattern, pid):
    files[file].append(OrderedDict(label=label, pattern=pattern, id=pid))


# ---------------------------------------------------------------- GPE / NORP
def upper_ok(name):
    return len(name) > 3 and not name.isupper() and " of " not in name and " the " not in name


countries = []
for line in (Path(__file__).parent / "countries.txt").read_text(encoding="utf8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    iso, names, cities, adjs, plurals = line.split("|")
    sp = lambda x: [w.strip() for w in x.split(";") if w.strip()]  # noqa: E731
    countries.append((iso, sp(names), sp(cities), sp(adjs), sp(plurals)))

for iso, names, cities, adjs, plurals in countries:
    for n in names:
        phrase("gpe", "GPE", n, iso)
    for n in names:
        if upper_ok(n) and not n.startswith(("Republic", "Kingdom", "State", "Federal", "Islamic", "People", "Democratic", "United Republic", "Commonwealth", "Independent", "Federation", "Socialist", "Plurinational", "Bolivarian", "Oriental", "Principality", "Grand Duchy", "Hashemite", "Arab Republic", "Co-operative", "Cooperative", "Lao People", "Union of", "Sultanate", "Nation of", "Former")):
            phrase("gpe", "GPE", n.upper(), iso)
    for c in cities:
        cid = f"{iso}/{c}"
        phrase("gpe", "GPE", c, cid)
        if upper_ok(c):
            phrase("gpe", "GPE", c.upper(), cid)
    for a in adjs + plurals:
        phrase("norp", "NORP", a, iso)

for tid, names in TERRITORIES:
    for n in names:
        phrase("gpe", "GPE", n, tid)
        if upper_ok(n):
            phrase("gpe", "GPE", n.upper(), tid)
# The Hague is written with its article.
for n in NORP_BROAD:
    phrase("norp", "NORP", n, "NORP:" + n)

# ---------------------------------------------------------------- LOC
for n in LOCS:
    phrase("loc", "LOC", n, "LOC:" + n)
for n in LOCS:
    if upper_ok(n) and n[:1].isupper():
        phrase("loc", "LOC", n.upper(), "LOC:" + n)

# ---------------------------------------------------------------- INTL_ORG / GOV_ORG / ORG
for oid, names in INTL_ORGS:
    for n in names:
        phrase("intl_orgs", "INTL_ORG", n, oid)
for oid, names in GOV_ORGS:
    for n in names:
        phrase("gov_orgs", "GOV_ORG", n, oid)
for oid, names in ORGS:
    for n in names:
        phrase("orgs", "ORG", n, "ORG:" + n)

# ---------------------------------------------------------------- ROLE phrases
for r in ROLE_PHRASES:
    phrase("roles", "ROLE", r, "ROLE:" + r)

# ---------------------------------------------------------------- AGREEMENT / EVENT phrases
for aid, names in AGREEMENTS:
    for n in names:
        phrase("agreements", "AGREEMENT", n, aid)
for eid, names in EVENTS:
    for n in names:
        phrase("events", "EVENT", n, eid)

# ================================================================ token patterns
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
          "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Portfolio words: the object of "Minister of/for", "Ministry of/for", "Department of".
PORT_CORE = """Foreign Affairs External International Defence Defense Economy Economic Economics Finance Financial Finances Trade Commerce
Industry Industrial Industries Energy Justice Interior Internal Home Health Healthcare Education Science Sciences Higher Research Technology Technologies
Innovation Innovations Digital Culture Cultural Sport Sports Youth Tourism Agriculture Agricultural Food Fisheries Forestry Livestock Rural
Investment Investments Development Cooperation Relations Planning Budget Treasury Labour Labor Employment Social Protection Welfare Family Families
Women Gender Children Environment Environmental Ecology Natural Resources Water Climate Change Transport Transportation Communications Communication
Information Infrastructure Construction Housing Urban Regional Local Government Public Works Mines Mining Mineral Minerals Petroleum Oil Gas
Hydrocarbons Emergency Emergencies Situations Security National Homeland Veterans Integration Diaspora Abroad Expatriates Emigration Migration
Immigration Citizenship Refugees Religious Religion Unification Reconstruction Statistics Reform Reforms Administrative Strategic Policy Heritage Arts Media
Telecommunications Maritime Ocean Oceans Aviation Space Land Lands Territories Communities Territorial Sustainable Green Circular Digitalization
Digitalisation Transformation Enterprise Enterprises Entrepreneurship Small Medium Business Competition Consumer Export Exports Promotion Customs
Revenue Revenues Taxes Taxation Monetary Banking Privatization Privatisation Property Legal Human Rights Equality Solidarity Peace
Initiatives Overseas Commonwealth Inclusion Disability Power Electricity Renewable Nuclear Atomic Railways Roads Highways Shipping Ports Civil
Police Armed Forces Military Intelligence State Water Irrigation Geology Ecological Affairs Citizen Cooperatives Handicrafts Tourism Trade Sport
Affairs Protection Safety Defence Planning Diplomacy Communications Postal Mass Economy Bilateral Multilateral Relief Humanitarian Disaster
Management Supply Commodities Food Energy Affairs Border Borders Neighbourhood Neighborhood Enlargement Community Cabinet Resettlement Rehabilitation Quarantine""".split()
PORT_CORE = sorted(set(PORT_CORE))
PORT_NOUN = sorted(set(PORT_CORE) | {"Europe", "European", "Union"})      # after of/for
PORT_PRE = sorted(set(PORT_CORE) - {"National", "State", "Special", "Small", "Medium", "Commonwealth", "Human", "Civil", "Mass", "Legal"} | {"External", "Foreign", "Home", "Trade"})
AREA = """Western Eastern Northern Southern Central Hemisphere Eurasian Asian African European Europe Asia Africa Americas America Latin Middle East West
North South Pacific Island Islands Caribbean Arctic Gulf Near Far Horn Sahel Great Lakes Region Regions Balkans Caucasus Arab Mediterranean Indo
Multilateral Bilateral Consular Legal International Global Economic Political Security Affairs Diplomacy""".split()
CONJ = ["and", ",", "&"]
PREFIX = ["Deputy", "First", "Acting", "Vice", "Assistant", "Senior", "Principal", "Interim", "Under", "Associate", "State", "Union", "Federal", "Cabinet",
          "Parliamentary", "Permanent", "Chief", "Executive", "Second", "Special", "High"]

T = lambda words, op=None: ({"ORTH": {"IN": list(words)}} | ({"OP": op} if op else {}))  # noqa: E731
O = lambda w, op=None: ({"ORTH": w} | ({"OP": op} if op else {}))  # noqa: E731



NORP_WORDS = sorted({t for iso, names, cities, adjs, pl in countries for w in adjs + pl for t in toks(w) if t[:1].isupper()} | {"African", "Asian", "European", "Arab", "Latin", "American"})
COUNTRY_WORDS = sorted({t for iso, names, cities, adjs, pl in countries for w in names[:1] for t in toks(w) if t[:1].isupper() and t not in ("Republic", "Democratic", "United", "Islands", "State", "Kingdom")})
PORT_NORP = sorted(set(PORT_NOUN) | set(NORP_WORDS))


def seq_of(words, inner, max_mid=8):
    """words ( inner | and | , )* words  -- one pattern for a single word, one for longer sequences."""
    return [[T(words)], [T(words), T(list(inner) + CONJ, "{0,%d}" % max_mid), T(words)]]


# ---- ROLE
# Minister of Foreign Affairs; Deputy Minister of Foreign Affairs, Emigration and Egyptian Expatriates; Minister for Europe and Foreign Affairs
ROLE_HEADS = ["Minister", "Ministers", "Secretary", "Secretaries", "Commissioner", "Commissioners"]
ENVOY_HEADS = ["Representative", "Envoy", "Coordinator", "Adviser", "Advisor", "Rapporteur", "Secretary", "Commissioner", "Director"]
FOR_END = sorted(set(PORT_NOUN) | set(AREA))
FOR_INNER = sorted(set(FOR_END) | set(NORP_WORDS) | {"-"})
for seq in seq_of(PORT_NOUN, PORT_NORP):
    token("roles", "ROLE", [T(PREFIX, "{0,3}"), T(ROLE_HEADS), O("of")] + seq, "ROLE:title-of-portfolio")
    token("roles", "ROLE", [T(PREFIX, "{0,3}"), T(ROLE_HEADS), O("of")] + seq + [O("for")] + [T(FOR_INNER, "{0,6}"), T(FOR_END)], "ROLE:title-of-portfolio")
for seq in seq_of(FOR_END, FOR_INNER):
    token("roles", "ROLE", [T(PREFIX, "{0,3}"), T(ROLE_HEADS), O("for")] + seq, "ROLE:title-for")
# Special Envoy for Pacific Island Affairs; Deputy Director-General for Europe and the Americas; Personal Envoy for Sudan
for seq in seq_of(FOR_END, FOR_INNER):
    token("roles", "ROLE", [T(PREFIX, "{0,3}"), T(ENVOY_HEADS), O("for")] + seq, "ROLE:envoy-for")
    token("roles", "ROLE", [T(PREFIX, "{0,3}"), O("Director"), O("-"), O("General"), O("for")] + seq, "ROLE:envoy-for")
# Foreign Minister; Commerce and Industry Minister; Deputy Foreign Minister (for Legal and International Affairs)
pre_seq = [T(PORT_PRE), T(PORT_PRE + ["and", "&"], "{0,3}")]
base = [T(PREFIX, "{0,3}")] + pre_seq + [T(["Minister", "Ministers", "Secretary", "Secretaries"])]
token("roles", "ROLE", base, "ROLE:portfolio-title")
for seq in seq_of(FOR_END, FOR_INNER):
    token("roles", "ROLE", base + [O("for")] + seq, "ROLE:portfolio-title")

# Prefixed titles: Deputy/First Deputy/Acting/Vice + base title
ROLE_BASES = ["President", "Vice President", "Prime Minister", "Minister", "Foreign Minister", "Secretary of State", "Secretary-General", "Secretary General",
              "Director-General", "Director General", "Managing Director", "Executive Director", "Executive Secretary", "Chairman", "Chairperson", "Chair",
              "Speaker", "Ambassador", "High Commissioner", "Special Representative", "Permanent Representative", "Special Envoy", "Spokesperson",
              "Spokesman", "Commissioner", "High Representative", "Governor", "Mayor", "Head", "Chief of Staff", "Chief of General Staff", "Adviser", "Advisor",
              "Director", "Secretary", "Premier", "Chancellor", "Representative", "Coordinator", "Envoy", "Administrator", "Prosecutor", "Commander",
              "National Security Adviser", "State Secretary", "Permanent Secretary", "Cabinet Secretary", "Press Secretary", "Consul", "Consul General"]
for b in ROLE_BASES:
    strict = ["Deputy", "First", "Acting", "Vice", "Assistant", "Interim", "Senior", "Principal", "Executive"] if b in ("Director", "Secretary", "Head", "Commander", "Chair", "Representative", "Coordinator", "Envoy", "Adviser", "Advisor") else PREFIX
    token("roles", "ROLE", [T(strict, "{1,3}")] + [O(w) for w in toks(b)], "ROLE:prefixed")
# -elect / -designate
for b in ["President", "Vice President", "Prime Minister", "Ambassador", "Secretary-General", "Minister"]:
    token("roles", "ROLE", [T(PREFIX, "{0,2}")] + [O(w) for w in toks(b)] + [O("-"), T(["elect", "designate", "Elect", "Designate"])], "ROLE:elect")

# ---- GOV_ORG
for seq in seq_of(PORT_NOUN, PORT_NORP):
    token("gov_orgs", "GOV_ORG", [T(["Federal", "State", "National", "Royal", "Union"], "?"), O("Ministry"), T(["of", "for"])] + seq, "GOV:ministry-of")
    token("gov_orgs", "GOV_ORG", [T(["Federal", "State", "National"], "?"), O("Department"), T(["of", "for"])] + seq, "GOV:department-of")
token("gov_orgs", "GOV_ORG", pre_seq + [O("Ministry")], "GOV:portfolio-ministry")
token("gov_orgs", "GOV_ORG", pre_seq + [O("Department")], "GOV:portfolio-department")
# State/National/Federal <portfolio words> Committee|Agency|Service ... (of|for|on <portfolio>)
GOV_HEADS = ["Committee", "Agency", "Service", "Commission", "Bureau", "Office", "Inspectorate", "Administration", "Council", "Directorate"]
token("gov_orgs", "GOV_ORG", [T(["State", "National", "Federal"]), T(PORT_PRE, "{0,3}"), T(GOV_HEADS), T(["Council", "Committee", "Service"], "?")], "GOV:state-body")
for seq in seq_of(PORT_NOUN, PORT_NOUN):
    token("gov_orgs", "GOV_ORG", [T(["State", "National", "Federal"]), T(PORT_PRE, "{0,3}"), T(GOV_HEADS), T(["of", "for", "on"])] + seq, "GOV:state-body")
for seq in seq_of(PORT_NOUN, PORT_NOUN):
    token("gov_orgs", "GOV_ORG", [T(["Bureau", "Office", "Agency", "Committee"]), T(["of", "for"]), O("National")] + seq, "GOV:bureau-of-national")

# Bilateral commissions: (X-Y)? Intergovernmental|Joint|High-Level ... Commission|Committee|Council (on|for <portfolio>)?
country_tokens = sorted({t for iso, names, cities, adjs, pl in countries for n in names[:1] for t in toks(n) if t[:1].isupper() and len(t) > 2})
JOINT_DESC = sorted(set(PORT_PRE) | {"Ministerial", "Intergovernmental", "Strategic", "Cooperation", "Bilateral", "Economic", "Trade", "Permanent", "Steering", "Consultative", "Coordination", "Partnership", "Business"})
pair = [T(country_tokens), T(country_tokens, "?"), T(["-", "–"]), T(country_tokens), T(country_tokens, "?")]
lead = [T(["Intergovernmental", "Joint", "High"]), O("-", "?"), T(["Level", "level"], "?")]
core = lead + [T(JOINT_DESC, "{0,3}"), T(["Commission", "Committee", "Council"])]
for pre in ([], pair):
    token("gov_orgs", "GOV_ORG", pre + core, "GOV:joint-commission")
    for seq in seq_of(PORT_NOUN, PORT_NOUN):
        token("gov_orgs", "GOV_ORG", pre + core + [T(["on", "for"])] + seq, "GOV:joint-commission")

# Central/National banks: "Central Bank of <country>" for most states
for iso, names, cities, adjs, pl in countries:
    if iso in ("IND",):  # "Central Bank of India" is a commercial bank
        continue
    short = names[0]
    art = "the " if short in ("Philippines", "Bahamas", "Gambia", "Netherlands", "Maldives", "Comoros", "Seychelles", "Solomon Islands", "Marshall Islands", "Dominican Republic", "Central African Republic", "Czech Republic", "United Arab Emirates", "UAE", "Kyrgyz Republic", "Congo", "Democratic Republic of the Congo") else ""
    phrase("gov_orgs", "GOV_ORG", f"Central Bank of {art}{short}", iso)

# ---- AGREEMENT
STRONG_HEADS = ["Treaty", "Agreement", "Agreements", "Accord", "Accords", "Act", "Charter", "Declaration", "Convention", "Protocol", "Initiative",
                "Memorandum", "Pact", "Statute", "Compact", "Communique", "Communiqué", "Consensus"]
PROG_HEADS = ["Programme", "Program"]
WEAK_HEADS = ["Plan", "Framework", "Roadmap", "Strategy", "Concept", "Partnership", "Agenda"]
VERBS = """Sign Signs Signed Signing Ink Inks Inked Ratify Ratifies Ratified Approve Approves Approved Adopt Adopts Adopted Reach Reaches Reached
Conclude Concludes Concluded Discuss Discusses Seek Seeks Back Backs Welcome Welcomes Hail Hails Launch Launches Extend Extends Renew Renews Join Joins
Quit Quits Exit Exits Withdraw Withdraws Suspend Suspends Implement Implements Propose Proposes Agree Agrees Review Reviews Mark Marks Violate Violates
Revive Revives Reject Rejects Endorse Endorses Draft Drafts Hold Holds Held Eye Eyes Mull Mulls Urge Urges Call Calls Push Pushes Sees See Set Sets
Is Are Was Were Be Has Have Had Will Would Could Should May Can Must Not Say Says Said""".split()
STOP_PRE = ["The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "Our", "His", "Her", "My", "Your", "Under", "In", "On", "At", "By", "For",
            "With", "From", "To", "Of", "And", "Or", "But", "As", "If", "After", "Before", "Since", "While", "When", "New", "Landmark", "Historic",
            "President", "Presidents", "Prime", "Minister", "Ministers", "Secretary", "Ambassador", "Both", "Two",
            "Three", "Mr", "Mrs", "Ms", "Dr", "Sir", "H.E.", "Also", "Meanwhile", "However", "Moreover", "Furthermore", "Additionally", "Today",
            "Yesterday", "Tomorrow", "Last", "Next", "Final", "First", "Second", "Third", "Former", "Future", "Current", "Such", "Any", "Each", "Every",
            "Some", "All", "Other", "Another", "Several", "Many", "Most", "Key", "Major", "Important", "According", "Regarding", "Concerning", "About",
            "Against", "Between", "Within", "Without", "Through", "Over", "Into", "Upon", "Amid", "Despite", "During", "Toward", "Towards", "Per", "Via",
            "What", "Which", "Who", "Why", "How", "Where", "It", "We", "They", "He", "She", "I", "You", "Text", "Full", "Read", "Photo", "Source",
            "Video", "Update", "Updated", "Breaking", "Exclusive", "Opinion", "Analysis", "Editorial", "Statement", "Government", "Ministry", "Parliament",
            "Senate", "Mazhilis", "Congress", "Cabinet", "Council", "Commission", "Committee", "Joint", "Draft", "Proposed", "Interim", "Preliminary",
            "Tentative", "Deal", "Deals", "Talks", "Meeting", "Forum", "Basin", "CAREC"] + VERBS + MONTHS + STRONG_HEADS + PROG_HEADS
STOP_PRE = sorted(set(STOP_PRE))
WORD_RE = r"^[A-Z][\w'’.&+/-]*$"
FIRST = {"TEXT": {"REGEX": WORD_RE}, "ORTH": {"NOT_IN": STOP_PRE}}
MID = {"TEXT": {"REGEX": r"^(?:[A-Z0-9][\w'’.&+/-]*|-|–|and|&|'|’|\+|de|da|do|del|la|al|el)$"}, "ORTH": {"NOT_IN": STOP_PRE}}
PROG_STOP = STOP_PRE + ["World", "UN", "U.N.", "United", "Nations", "Development", "Environment", "Food", "Population", "Settlements", "Habitat"]
TAIL_STOP = MONTHS + STRONG_HEADS + PROG_HEADS
TAIL_MID = {"TEXT": {"REGEX": r"^(?:[A-Z0-9][\w'’.&+/-]*|the|and|of|on|for|a|between|-|–)$"}, "ORTH": {"NOT_IN": TAIL_STOP}}
TAIL_LAST = {"TEXT": {"REGEX": r"^[A-Z]"}, "ORTH": {"NOT_IN": TAIL_STOP + ["President", "Minister", "Prime", "Ambassador", "Mr", "Mrs", "Ms", "Dr", "The", "A", "An"]}}
PREPS_STRONG = ["of", "on", "for", "concerning", "Concerning", "establishing", "Establishing", "regarding"]
PREPS_WEAK = ["on", "for"]
chains = [[], [FIRST, dict(MID, OP="{0,6}")]]
tail = [dict(TAIL_MID, OP="{0,20}"), TAIL_LAST]
OF_HEADS = ["Treaty", "Agreement", "Agreements", "Accord", "Accords", "Charter", "Declaration", "Convention", "Memorandum", "Statute", "Pact"]
FIELD = [O("in"), O("the"), T(["Field", "Fields", "Area", "Areas", "Sphere", "Spheres"]), O("of")]
for ch in chains:
    for t2 in (tail, tail + FIELD + tail):
        token("agreements", "AGREEMENT", ch + [T([h for h in STRONG_HEADS + PROG_HEADS if h != "Protocol"]), T([p for p in PREPS_STRONG if p != "of"])] + t2, "AGR:head-of")
        token("agreements", "AGREEMENT", ch + [T(OF_HEADS), O("of")] + t2, "AGR:head-of")
    token("agreements", "AGREEMENT", ch + [O("Protocol"), T(["on", "to", "for", "concerning", "Concerning"])] + tail, "AGR:head-of")
    token("agreements", "AGREEMENT", ch + [T(WEAK_HEADS), T(PREPS_WEAK)] + tail, "AGR:head-of")
# Joint Statement|Declaration|Communique on ...
token("agreements", "AGREEMENT", [O("Joint"), dict(MID, OP="{0,3}"), T(["Statement", "Declaration", "Communique", "Communiqué", "Action", "Plan"]), T(PREPS_STRONG)] + tail, "AGR:joint")
# <Title words> Head: Paris Agreement, Belt and Road Initiative, EU-Kenya Economic Partnership Agreement
token("agreements", "AGREEMENT", [FIRST, dict(MID, OP="{0,6}"), T(STRONG_HEADS)], "AGR:named")
token("agreements", "AGREEMENT", [O("New"), T(["Zealand", "York", "Delhi", "Caledonia"]), dict(MID, OP="{0,6}"), T(STRONG_HEADS)], "AGR:named")
token("agreements", "AGREEMENT", [O("New"), T(["Zealand", "York", "Delhi", "Caledonia"]), dict(MID, OP="{0,6}"), T(["Economic", "Strategic", "Comprehensive", "Enhanced", "Closer", "Global", "Investment", "Trade", "Security"]), O("Partnership")], "AGR:named-partnership")
token("agreements", "AGREEMENT", [FIRST, dict(MID, OP="{0,6}"), T(["Economic", "Strategic", "Comprehensive", "Enhanced", "Closer", "Global", "Investment", "Trade", "Security", "Defence", "Defense", "Energy", "Green", "Digital", "Climate", "Infrastructure", "Migration"]), O("Partnership")], "AGR:named-partnership")
token("agreements", "AGREEMENT", [FIRST, dict(MID, OP="{0,4}"), O("Free"), O("Trade"), T(["Area", "Zone"])], "AGR:fta")
token("agreements", "AGREEMENT", [FIRST, dict(MID, OP="{0,4}"), O("Action"), O("Plan")], "AGR:action-plan")
token("agreements", "AGREEMENT", [FIRST, dict(MID, OP="{0,3}"), O("Vision"), {"TEXT": {"REGEX": r"^20\d\d$"}}], "AGR:vision")
token("agreements", "AGREEMENT", [{"TEXT": {"REGEX": WORD_RE}, "ORTH": {"NOT_IN": PROG_STOP}}, {"TEXT": MID["TEXT"], "ORTH": {"NOT_IN": PROG_STOP}, "OP": "{0,5}"}, T(PROG_HEADS)], "AGR:named-programme")
# Resolution 2231
token("agreements", "AGREEMENT", [T(["Resolution", "resolution"]), {"TEXT": {"REGEX": r"^\d{2,4}$"}}], "AGR:resolution")

# ---- EVENT
MAJOR_CITIES = set("""Geneva New York Davos Shanghai Almaty Samarkand Istanbul Dubai Jeddah Petersburg Rio Johannesburg Munich Vienna Brussels Paris London
Berlin Rome Madrid Warsaw Vilnius Riga Tallinn Helsinki Stockholm Oslo Copenhagen Reykjavik Prague Budapest Bucharest Sofia Athens Thessaloniki Belgrade Sarajevo
Tirana Skopje Zagreb Ljubljana Bratislava Lisbon Dublin Amsterdam Hague Strasbourg Luxembourg Bern Lausanne Kyiv Minsk Moscow Kazan Sochi Vladivostok Ankara
Antalya Baku Tbilisi Yerevan Shusha Astana Tashkent Bishkek Dushanbe Ashgabat Cholpon-Ata Awaza Turkmenbashi Beijing Tokyo Osaka Hiroshima Seoul Busan Pyongyang
Ulaanbaatar Hanoi Vientiane Bangkok Phnom Penh Naypyidaw Kuala Lumpur Jakarta Bali Manila Singapore Delhi Mumbai Goa Islamabad Kabul Tehran Baghdad Damascus Beirut
Amman Cairo Riyadh Doha Manama Muscat Kuwait Abu Dhabi Sharm Aqaba Jerusalem Ramallah Gaza Rabat Marrakech Algiers Tunis Tripoli Khartoum Addis Nairobi Kampala
Kigali Dar Luanda Pretoria Cape Town Durban Lagos Abuja Accra Dakar Niamey Bamako Ouagadougou Lusaka Harare Maputo Washington Ottawa Toronto Mexico Havana Caracas
Bogota Bogotá Lima Quito Santiago Buenos Aires Montevideo Asunción Brasília Brasilia Belém Belem Canberra Sydney Wellington Auckland Apia Suva Glasgow Lima
Kananaskis Elmau Apulia Camp Villers-Cotterêts Halifax Bled Dubrovnik Delphi Raisina Valdai Bandung Yalta Potsdam Helsingør Chisinau Chișinău""".split())
ENT = set()
for iso, names, cities, adjs, pl in countries:
    for n in names[:1] + cities[:1] + [c for c in cities if set(toks(c)) & MAJOR_CITIES]:
        t = toks(n)
        if len(t) == 1 and t[0][:1].isupper():
            ENT.add(t[0])
for tid, names in TERRITORIES:
    for n in names:
        t = toks(n)
        if len(t) == 1:
            ENT.add(t[0])
for oid, names in INTL_ORGS:
    for n in names:
        t = toks(n)
        if len(t) == 1 and (t[0].isupper() or t[0] in ("Mercosur", "Caricom", "Francophonie", "Commonwealth", "Interpol")):
            ENT.add(t[0])
ENT |= {"Africa", "Asia", "Europe", "Eurasia", "Arctic", "Caspian", "Mediterranean", "Caribbean", "Pacific", "Americas", "America", "Sahel", "Gulf", "Balkans",
        "Baltic", "Nordic", "Arab", "African", "Asian", "European", "Eurasian", "Turkic", "Islamic", "Ibero", "East", "League", "Caucasus", "Korea", "UN", "U.N.", "EU",
        "BRICS", "G20", "G7", "Davos", "Hague", "Zealand", "Lanka", "Arabia", "Rica", "Kong", "Alliance", "Union", "US", "U.S.", "UK", "U.K.", "UAE", "USA", "DPRK", "ROK", "PRC", "DRC"}
ENT -= {"Organization", "Organisation", "Secretariat"}
DIR = ["Central", "South", "North", "West", "Southeast", "Northeast", "Western", "Eastern", "Latin", "Middle", "Southern", "Northern", "Greater", "Pan",
       "New", "Sri", "Saudi", "Costa", "Hong", "Trans"]
DESC = """International Economic Investment Investors Security Diplomacy Diplomatic Peace Energy Business Climate Global Regional Leaders Humanitarian Water Trade
Digital Youth Defence Defense Development Cooperation Connectivity Transport Strategic Foreign Ministers Ministerial Finance Financial Innovation Mining Oil Gas
Industrial Agricultural Food Health Tourism Media Parliamentary Women Logistics Technology Tech CEO Expert Experts Civil Society Sustainability Green Transition
Recovery Reconstruction Donor Donors Pledging Cultural Culture Education Science Space Nuclear Maritime Ocean Cyber Capital Markets Export Change Leaders Heads
Plus Annual Special Extraordinary Informal Consultative Interregional Inter-Regional Interparliamentary Universities Rectors Governors Mayors Speakers
Anti-Corruption Counter-Terrorism Migration Customs Interior Justice Ministerial Political Bilateral Trilateral Inter Religious Interfaith Faith Democracy Social
High-Level High Level level - Emergency Ordinary Coordination Review""".split()
DESC = sorted(set(DESC) | {"and", "&"})
EV_HEADS_FREE = ["Summit", "Forum", "Conference", "Dialogue"]
EV_HEADS_DESC = ["Meeting", "Meetings", "Congress", "Week", "Expo", "Session"]
ORD_WORDS = ("First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|Thirteenth|Fourteenth|Fifteenth|Sixteenth|"
             "Seventeenth|Eighteenth|Nineteenth|Twentieth")
ORD_RE = r"^(\d{1,3}(st|nd|rd|th)|(19|20)\d\d|[IVXL]{2,6}|" + ORD_WORDS + r")$"
ORDQ = {"TEXT": {"REGEX": r"^(\d{1,3}(st|nd|rd|th)|(19|20)\d\d|[IVXL]{2,6}|" + ORD_WORDS + r"|Inaugural|Annual|Extraordinary|Joint)$"}, "OP": "?"}
ORD1 = {"TEXT": {"REGEX": ORD_RE}}
YEARQ = {"TEXT": {"REGEX": r"^((19|20)\d\d|[IVXL]{2,6})$"}, "OP": "?"}
EV_HEAD_WORDS = ["Summit", "Summits", "Conference", "Meeting", "Meetings", "Session", "Congress", "Week"]
EV_MID = {"TEXT": {"REGEX": r"^(?:[A-Z][\w'’.&+/-]*|the|and|of|on|for|-|–)$"}, "ORTH": {"NOT_IN": MONTHS + EV_HEAD_WORDS + ["The"]}, "OP": "{0,10}"}
EV_LAST = {"TEXT": {"REGEX": r"^[A-Z][\w'’.&+/-]*$"}, "ORTH": {"NOT_IN": MONTHS + EV_HEAD_WORDS + ["The", "A", "An", "President", "Minister", "Prime"]}}
EV_CONT = [T(["on", "for"]), EV_MID, EV_LAST]          # London Conference on Somalia
EV_CONT_OF = [T(["of", "on", "for"]), EV_MID, EV_LAST]  # 19th Summit of the Non-Aligned Movement
ENT_L = sorted(ENT)
JOIN = T(["-", "–", "+", "/", "and", "&"])
unit = [T(DIR, "?"), T(ENT_L)]
unit2 = unit + [JOIN, T(DIR, "?"), T(ENT_L)]
unit3 = unit2 + [JOIN, T(DIR, "?"), T(ENT_L)]
APOS = [T(["'", "\u2019"], "?")]
for u in (unit, unit2, unit3):
    for cont in ([], EV_CONT):
        token("events", "EVENT", [ORDQ] + u + [YEARQ, T(DESC, "{0,4}")] + APOS + [T(EV_HEADS_FREE)] + cont, "EVT:named")
        token("events", "EVENT", [ORDQ] + u + [YEARQ, T(DESC, "{1,4}")] + APOS + [T(EV_HEADS_DESC)] + cont, "EVT:named")
# Organisation names + Summit: Pacific Alliance Summit; Pacific Islands Forum Leaders Meeting; African Union Summit.
# Names of the same length share one pattern (position-wise word lists): combinations that are not names do not occur in text.
by_len = {}
for oid, names in INTL_ORGS:
    for n in names:
        t = toks(n)
        if 2 <= len(t) <= 4 and not any(w in ("of", "the", "for", "and", "on", "in") for w in t) and t[-1] not in ("Summit", "Conference", "Dialogue"):
            by_len.setdefault(len(t), [set() for _ in range(len(t))])
            for i, w in enumerate(t):
                by_len[len(t)][i].add(w)
for ln, cols in sorted(by_len.items()):
    head = [T(sorted(c)) for c in cols]
    token("events", "EVENT", [ORDQ] + head + [T(DESC, "{0,4}")] + APOS + [T(["Summit", "Conference", "Dialogue"])], "EVT:org-summit")
    token("events", "EVENT", [ORDQ] + head + [T(DESC, "{1,4}")] + APOS + [T(EV_HEADS_DESC + ["Forum"])], "EVT:org-summit")
# ordinal/descriptor-led: 13th Ministerial Conference; Fourth International Conference on Financing for Development; 19th Summit of the Non-Aligned Movement
token("events", "EVENT", [{"TEXT": {"REGEX": r"^(\d{1,3}(st|nd|rd|th)|[IVXL]{2,6}|" + ORD_WORDS + r")$"}}, T(DESC, "{0,3}"), T(EV_HEADS_FREE + ["Session", "Assembly", "Meeting", "Meetings"])], "EVT:ordinal")
token("events", "EVENT", [ORD1, T(DESC, "{0,3}"), T(EV_HEADS_FREE + ["Session", "Assembly", "Meeting", "Meetings"])] + EV_CONT_OF, "EVT:ordinal")
token("events", "EVENT", [T(DESC, "{1,3}"), T(["Summit", "Forum", "Dialogue", "Meeting"])] + EV_CONT, "EVT:desc-cont")
# ordinal + known event names: Fourth International Conference on Small Island Developing States; 2030 FIFA World Cup
# (names of the same length share one pattern, as above)
ev_by_len, evc_by_len = {}, {}
for eid, names in EVENTS:
    for n in names:
        t = toks(n)
        for store, ok in ((ev_by_len, True), (evc_by_len, t[-1] in ("Summit", "Conference", "Forum", "Dialogue", "Meeting", "Meetings", "Session"))):
            if ok:
                store.setdefault(len(t), [set() for _ in range(len(t))])
                for i, w in enumerate(t):
                    store[len(t)][i].add(w)
for ln, cols in sorted(ev_by_len.items()):
    token("events", "EVENT", [ORD1] + [T(sorted(c)) for c in cols], "EVT:ordinal-named")
for ln, cols in sorted(evc_by_len.items()):
    token("events", "EVENT", [ORDQ] + [T(sorted(c)) for c in cols] + EV_CONT, "EVT:named-cont")
token("events", "EVENT", [{"TEXT": {"REGEX": r"^COP\d{1,2}$"}}], "EVT:cop")
token("events", "EVENT", [O("COP"), {"TEXT": {"REGEX": r"^\d{1,2}$"}}], "EVT:cop")
token("events", "EVENT", [{"TEXT": {"REGEX": r"^MC1\d$"}}], "EVT:wto-mc")
token("events", "EVENT", [T(ENT_L, "?"), T(["Expo", "EXPO"]), {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}], "EVT:expo")

# ---- GPE: Batken Region, Ternopil Oblast, Kano State
REGION_STEMS = set()
for iso, names, cities, adjs, pl in countries:
    for n in cities:
        t = toks(n)
        if len(t) == 1:
            REGION_STEMS.add(t[0])
REGION_STEMS |= set("""Akmola Abai Ulytau Zhetysu Zhambyl Mangystau Kyzylorda Karaganda Pavlodar Kostanay Aktobe Atyrau Turkistan Almaty Chui Chuy Issyk-Kul Jalal-Abad
Naryn Osh Talas Batken Khatlon Sughd Sugd Tashkent Samarkand Bukhara Fergana Andijan Namangan Navoi Navoiy Kashkadarya Surkhandarya Syrdarya Jizzakh Khorezm
Ahal Balkan Dashoguz Lebap Mary Kursk Belgorod Bryansk Orenburg Omsk Novosibirsk Tomsk Altai Kherson Zaporizhzhia Donetsk Luhansk Kharkiv Sumy Chernihiv Ternopil
Lviv Odesa Mykolaiv Dnipropetrovsk Poltava Kyiv Volyn Rivne Zakarpattia Khmelnytskyi Vinnytsia Cherkasy Kirovohrad Zhytomyr Chernivtsi Ivano-Frankivsk
Kano Borno Lagos Kaduna Zamfara Katsina Kassala Gedaref Gezira Khartoum Amhara Afar Somali Oromia Tigray Sidama Miyazaki Fukushima Ishikawa Noto Hokkaido Okinawa
Idlib Aleppo Hasakah Raqqa Deir Nineveh Anbar Basra Diyala Kirkuk Sistan Baluchestan Khuzestan Hormozgan Kurdistan Azerbaijan Punjab Sindh Balochistan Sagaing
Rakhine Shan Kachin Chin Kayah Karen Mandalay Magway Bago Tanintharyi Ayeyarwady Yangon Cabo Delgado Niassa Nampula Sofala Manica Tete Zambezia Gaza Inhambane""".split())
REGION_STEMS -= {"Gaza", "Azerbaijan", "Kurdistan", "Somali", "Karen", "Chin", "Shan", "Mary", "Cabo", "Delgado"}
REGION_HEADS = ["Region", "Oblast", "Province", "Prefecture", "Governorate", "Krai", "Oblys", "Viloyat", "Velayat", "State", "County", "Territory", "Emirate"]
token("gpe", "GPE", [T(sorted(REGION_STEMS)), T(REGION_HEADS)], "GPE:region")
token("gpe", "GPE", [T(["North", "South", "East", "West", "Central", "Upper", "Lower"]), T(sorted(REGION_STEMS | {"Kazakhstan", "Darfur", "Kordofan", "Kivu"})), T(REGION_HEADS)], "GPE:region")

# ---- LOC: geographic features
GEO_STOP = ["The", "A", "An", "This", "That", "Its", "Their", "Our", "His", "Her", "In", "On", "At", "By", "For", "From", "To", "Of", "And", "New", "Old", "Several", "Many", "Some", "All", "Both", "Other", "Two", "Three", "Four", "Five", "Across", "Along", "Near", "Over", "Under", "Into", "Through", "Beyond", "Entire", "Whole", "Main", "Major", "Key"] + MONTHS
GEO_FIRST = {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}}
token("loc", "LOC", [GEO_FIRST, {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}, "OP": "?"}, T(["River", "Valley", "Mountains", "Desert", "Strait", "Peninsula", "Glacier", "Delta", "Plateau", "Steppe", "Lowlands", "Highlands", "Archipelago", "Atoll", "Trough", "Fault", "Gorge", "Pass"])], "LOC:feature")
token("loc", "LOC", [T(["Lake", "Mount", "Mt."]), {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}}, {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}, "OP": "?"}], "LOC:feature")
token("loc", "LOC", [T(["Gulf", "Bay", "Strait", "Straits", "Sea"]), O("of"), {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}}, {"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP}, "OP": "?"}], "LOC:feature")
token("loc", "LOC", [{"IS_TITLE": True, "ORTH": {"NOT_IN": GEO_STOP + ["Solomon", "Marshall", "Cook", "Faroe", "Cayman", "Virgin", "Falkland", "Pacific"]}}, T(["Sea", "Ocean", "Basin", "Canal", "Lagoon"])], "LOC:feature")

token("gov_orgs", "GOV_ORG", [O("Statistics"), T(COUNTRY_WORDS)], "GOV:statistics")
# ---- ORG token patterns
token("orgs", "ORG", [O("Air"), T(COUNTRY_WORDS + sorted(ENT - set(ENT_L[:0])))], "ORG:airline")
token("orgs", "ORG", [{"IS_TITLE": True, "ORTH": {"NOT_IN": ["The", "A", "An", "International", "Its", "Their", "Our", "By", "For", "And", "With", "From", "At", "In", "Of", "To"]}}, {"IS_TITLE": True, "OP": "{0,2}"}, O("Chamber"), O("of"), O("Commerce"), O("and", "?"), O("Industry", "?")], "ORG:chamber")
ORG_STOP = ["The", "A", "An", "State", "National", "Russian", "Official", "Government", "Local", "Foreign", "Chinese", "Iranian", "Turkish", "Its", "Their", "Our", "His", "Her", "By", "For", "And", "With", "From", "At", "In", "Of", "To"]
token("orgs", "ORG", [{"IS_TITLE": True, "ORTH": {"NOT_IN": ORG_STOP}}, {"IS_TITLE": True, "OP": "{0,2}"}, T(["News", "Press", "Information", "Telegraph"]), O("Agency")], "ORG:news-agency")
token("orgs", "ORG", [{"IS_UPPER": True, "LENGTH": {">=": 2}}, T(["News", "Press", "Information"]), O("Agency")], "ORG:news-agency")
token("orgs", "ORG", [{"IS_TITLE": True, "ORTH": {"NOT_IN": ORG_STOP + ["University"]}}, {"IS_TITLE": True, "ORTH": {"NOT_IN": ["University"]}, "OP": "{0,3}"}, O("University")], "ORG:university")
token("orgs", "ORG", [O("University"), O("of"), {"IS_TITLE": True, "ORTH": {"NOT_IN": MONTHS}}, {"IS_TITLE": True, "OP": "{0,2}"}], "ORG:university")
token("orgs", "ORG", [{"IS_TITLE": True, "ORTH": {"NOT_IN": ORG_STOP}}, O("Red"), T(["Cross", "Crescent"]), O("Society", "?")], "ORG:red-cross")
token("orgs", "ORG", [{"IS_TITLE": True, "ORTH": {"NOT_IN": ORG_STOP}}, {"IS_TITLE": True, "OP": "?"}, T(["Airlines", "Airways"])], "ORG:airline")

# ---- MONEY (conservative: an amount with an explicit currency)
NUM = {"TEXT": {"REGEX": r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$"}}
NUM_SFX = {"TEXT": {"REGEX": r"^\d+(\.\d+)?(bn|mn|m|k|tn|trn)$"}}
MULT = T(["million", "billion", "trillion", "thousand", "mln", "bln", "bn", "mn", "trn", "crore", "lakh", "Million", "Billion", "Trillion"], "?")
SYM = {"TEXT": {"REGEX": r"^(US|U\.S\.|C|CA|A|AU|NZ|S|SG|J|HK|R|NT|Mex|N|KSh|Ksh)?[$€£¥₸₽₹₩₺₦₴]$|^(US\$|USD|EUR|GBP|JPY|CNY|RMB|KZT|RUB|UZS|KGS|TJS|AZN|GEL|AMD|TRY|AED|SAR|QAR|KWD|INR|PKR|IDR|KRW|CHF|NOK|SEK|DKK|PLN|UAH|BRL|MXN|ZAR|NGN|KES|EGP|CAD|AUD|NZD|SGD|HKD|Rs|Rs\.|Tk)$"}}
SYM_NUM = {"TEXT": {"REGEX": r"^(US|C|A|NZ|S|J|HK|R)?[$€£¥₸₽₹]\d[\d,]*(\.\d+)?(bn|mn|m|k)?$"}}
CUR_ADJ = ["US", "U.S.", "American", "Canadian", "Australian", "New", "Zealand", "Singapore", "Singaporean", "Hong", "Kong", "Swiss", "Norwegian", "Swedish", "Danish",
           "Chinese", "Japanese", "Indian", "Pakistani", "Russian", "Turkish", "Kazakh", "Uzbek", "Kyrgyz", "Tajik", "Azerbaijani", "Egyptian", "Saudi", "Qatari",
           "Kuwaiti", "Emirati", "UAE", "Iranian", "Iraqi", "Jordanian", "South", "African", "Nigerian", "Kenyan", "Ghanaian", "Mexican", "Brazilian", "Argentine",
           "Chilean", "Colombian", "Peruvian", "Philippine", "Indonesian", "Malaysian", "Thai", "Korean", "Taiwan", "Taiwanese", "Polish", "Czech", "Hungarian",
           "Ukrainian", "Belarusian", "Georgian", "Armenian", "Mongolian", "Turkmen", "CFA", "Jamaican", "Trinidad", "Eastern", "Caribbean", "Hryvnia"]
CUR_WORD = ["dollar", "dollars", "euro", "euros", "pound", "pounds", "sterling", "yen", "yuan", "renminbi", "tenge", "rouble", "roubles", "ruble", "rubles",
            "sum", "soum", "soums", "som", "soms", "somoni", "manat", "manats", "lari", "dram", "drams", "lira", "liras", "lire", "dirham", "dirhams", "riyal",
            "riyals", "rial", "rials", "dinar", "dinars", "rupee", "rupees", "rupiah", "ringgit", "baht", "won", "peso", "pesos", "real", "reais", "rand",
            "naira", "shilling", "shillings", "cedi", "cedis", "franc", "francs", "krone", "kroner", "krona", "kronor", "crowns", "zloty", "zlotys", "forint",
            "hryvnia", "hryvnias", "tugrik", "tugriks", "taka", "kwacha", "birr", "dong", "kyat", "leu", "lei", "lev", "afghanis", "USD", "EUR", "KZT", "RUB", "CNY", "AUD", "CAD", "GBP", "JPY", "AED", "SAR"]
token("money", "MONEY", [SYM, NUM, MULT], "MONEY:symbol")
token("money", "MONEY", [SYM, NUM_SFX], "MONEY:symbol")
token("money", "MONEY", [SYM_NUM, MULT], "MONEY:symbol")
token("money", "MONEY", [NUM, MULT, T(CUR_ADJ, "{0,2}"), T(CUR_WORD)], "MONEY:word")
token("money", "MONEY", [NUM, T(["million", "billion", "trillion", "thousand", "mln", "bln"]), O("-", "?"), T(["to", "-", "–"]), NUM, MULT, T(CUR_ADJ, "{0,2}"), T(CUR_WORD)], "MONEY:range")
token("money", "MONEY", [NUM, MULT, T(["to", "-", "–"]), NUM, MULT, T(CUR_ADJ, "{0,2}"), T(CUR_WORD)], "MONEY:range")

# ================================================================ write
OUT.mkdir(parents=True, exist_ok=True)
HEADER = {
    "gpe": "UN member and observer states (short, formal and alternate names, id = ISO 3166-1 alpha-3), their capitals and major cities (id = ISO3/City), territories and a few sub-national units.",
}
for stem, pats in sorted(files.items()):
    path = OUT / f"{stem}.jsonl"
    with path.open("w", encoding="utf8") as fh:
        for p in pats:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{path.name}: {len(pats)} patterns")
if conflicts:
    print("CONFLICTS (phrase listed under two labels; first kept):")
    for c in conflicts:
        print("  ", c)
