"""The task runner: claims tasks from the store with a lease, runs them on worker threads, writes progress.

Two runners (two processes, two machines on PostgreSQL) never run one task at once; a task whose runner
died is taken over when its lease expires and resumes without storing again what is already stored.
"""
