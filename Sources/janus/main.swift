print("janus")
