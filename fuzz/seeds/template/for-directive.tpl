%{for i in range(1000000)}${format("%9999s", i)}%{endfor}
