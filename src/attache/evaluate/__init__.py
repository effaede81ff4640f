"""Evaluation: entity scores, error analysis, reports."""
