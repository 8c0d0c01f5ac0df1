"""Integrity watch (issue 14): set-based detectors of fake exits and paper work, and their findings."""
