"""Date and number formats of the portal's languages (settings.FORMAT_MODULE_PATH); what a
module leaves out comes from Django's own formats of that language."""
