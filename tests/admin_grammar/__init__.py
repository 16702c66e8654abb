"""The Russian admin names every model in the case and gender its sentences need
(cms/grammar.py): list, add, change and delete pages, the add button, the success and
error messages, checked against real admin responses for every registered model. A model
registered without a line here (or in its app's admin_nouns, cms/nouns.py) fails the test."""
