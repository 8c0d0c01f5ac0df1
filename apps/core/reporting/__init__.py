"""The reporting cycle: periods and their transitions, completeness, the lock, reminders, the bulletin."""
