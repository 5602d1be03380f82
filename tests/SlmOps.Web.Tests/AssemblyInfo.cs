namespace SlmOps.Web.Tests;
