"""Every public page renders the seed content, links both ways and has proper <head> data."""
