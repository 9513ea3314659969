.PHONY: run test test-sqlite setup

# Set up everything (virtualenv, dependencies, migrations, reference and demo data) and run
# the web server with a django-q2 worker.
run:
	./scripts/run.sh

# Run the test suite (PostgreSQL when reachable, SQLite otherwise). ARGS="tests/rules -x" to narrow.
test:
	./scripts/test.sh $(ARGS)

# The same suite on the embedded SQLite default.
test-sqlite:
	CEE_TEST_DB=sqlite ./scripts/test.sh $(ARGS)

setup:
	./scripts/bootstrap.sh
