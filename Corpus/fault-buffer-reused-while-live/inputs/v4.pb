
Bv4Jf2