"""`flask bench`: seed a throw-away database and measure pages, queries and memory.

Each feature adds its own figures in a module named after it here (`devtools/bench/memos.py`).
"""
