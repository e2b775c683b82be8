from peelstats.cli import main

main()
