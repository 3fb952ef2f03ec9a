from taper.cli import main

raise SystemExit(main())
