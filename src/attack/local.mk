libworlds_a_SOURCES += src/attack/attack.h src/attack/vocab.c

# Unit tests: the vocabulary table (coverage of the edge types, names, patterns).
check_PROGRAMS += tests/unit/attack_vocab_test
tests_unit_attack_vocab_test_SOURCES = tests/unit/attack_vocab_test.c
tests_unit_attack_vocab_test_LDADD = $(WORLDS_LIBS)
TESTS += tests/unit/attack_vocab_test
