"""Programmes and their challenges in the browser (the rules live in `pilotmgr.pilots.programmes`)."""
