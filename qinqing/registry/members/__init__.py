"""Members (会员): models, actions, pages, API and the import engine's member part."""
