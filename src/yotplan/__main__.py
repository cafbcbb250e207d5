from yotplan.cli import main

main()
