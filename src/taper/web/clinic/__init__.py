"""The clinic: people, plans and their versions, check-ins and the engine's decisions."""
