"""Scoring service: indicator frameworks, targets, periods with participant snapshots, submitted values with
evidence, review, scores, classes and rankings."""
