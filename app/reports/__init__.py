"""Leadership reports (SOP-003 step 10): the dashboard's figures, the list behind each, exports, the monthly report."""
