"""The members roll (padrón): list, search, add and edit."""
