"""Prefect flows: thin wrappers that turn the core functions into tasks and flows.

Importing this package points Prefect at the project's own home folder first.
"""

from klimamaal.config import prepare_prefect_env

prepare_prefect_env()
