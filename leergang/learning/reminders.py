"""Session reminders a week ahead (M21) and their worker job."""
