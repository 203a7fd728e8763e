"""Shared plumbing for the thidua services: no domain words live here."""
