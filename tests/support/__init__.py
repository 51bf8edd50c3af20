"""Shared test support: a real moto server, real accounts in it, and state files."""
