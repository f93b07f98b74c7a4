"""File import: a plug-in registry of formats (jsonl, crowdtangle, csv …), a streaming writer, the service.

Library entry point: `ratusz.collect.importing.service.import_file(path, format_id, options)`.
"""
