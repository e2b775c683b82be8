from peelstats.run.cli import main

main()
