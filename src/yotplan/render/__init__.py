"""Presentation: turning view models and problems into tables, json, csv, markdown and annotations.

Renderers return strings or rich renderables; they never print.
"""
