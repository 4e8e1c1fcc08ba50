"""iJw 3.2 messages: JW301 (Toewijzing Jeugdhulp) import; JW315 is checked and refused.

Entry point: :func:`planner.importing.preview_import` recognises a JW301 by its namespace and
hands it to :func:`planner.ijw.importer.preview_ijw`. Privacy: :mod:`planner.ijw.privacy`.
"""
