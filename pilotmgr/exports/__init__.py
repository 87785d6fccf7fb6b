"""Data out as CSV and Excel (exports), and pilots in from a spreadsheet (bulk import)."""
