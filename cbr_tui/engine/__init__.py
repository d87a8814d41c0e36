"""The data plane: content-addressed chunk stores per vault, image and file-tree backups, verified restores,
reference counts, garbage collection and integrity audits. See `../shared/reference/engine-notes.md`."""
