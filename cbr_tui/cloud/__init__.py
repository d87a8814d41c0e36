"""The simulated rest of the cloud: regions and AZs, disks as sparse image files with changed-block tracking,
file systems as directory trees, and a workload generator that fills them with realistic bytes.

This package owns bytes and catalogues; the rows that describe resources live in the store, and
`cbr_tui.services.resources` ties the two together.
"""
