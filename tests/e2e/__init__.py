"""Browser tests. A package, so that its conftest is not imported as the top-level module ``conftest``
(which would shadow tests/conftest.py for the tests that import helpers from it)."""
