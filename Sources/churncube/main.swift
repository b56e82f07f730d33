import ChurnStorage
print("churncube")
