namespace SlmOps.Modeling;
