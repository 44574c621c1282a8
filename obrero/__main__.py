from obrero.cli import main

raise SystemExit(main())
