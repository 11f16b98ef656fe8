"""Inputs and outputs: files and folders, markdown responses, datasets, configuration, reports."""
