module libnfd.org/nfd

go 1.19
