
Bv1JfF