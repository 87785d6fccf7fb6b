from pilotmgr import create_app

app = create_app()
