// Tests for the wire protocol live beside this file.
