port = 3389
