namespace SlmOps.Data.Tests;
