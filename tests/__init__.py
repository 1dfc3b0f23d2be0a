"""Tests for exitcost."""
