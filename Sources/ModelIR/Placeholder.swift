// ModelIR
