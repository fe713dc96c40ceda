import sys

# --8<-- [start:greet]
def greet(name):
    print(f"hello {name}")
# --8<-- [end:greet]

greet(sys.argv[1])
