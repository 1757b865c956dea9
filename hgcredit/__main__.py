from hgcredit.cli import main

main()
