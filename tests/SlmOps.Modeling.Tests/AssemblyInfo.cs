namespace SlmOps.Modeling.Tests;
