namespace SlmOps.Contracts;
