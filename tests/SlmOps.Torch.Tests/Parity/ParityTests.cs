using SlmOps.Torch.Tests.Support;

namespace SlmOps.Torch.Tests.Parity;

/// <summary>
/// Forward values and gradients of every API operation, the attention block, and optimizer steps, compared with
/// PyTorch on identical inputs (tolerances are stated in <see cref="ParityCases"/> and <see cref="Tolerance"/>).
/// </summary>
public sealed class ParityTests(ParityFixture oracle) : IClassFixture<ParityFixture>
{
    public static TheoryData<string> CaseNames => [.. ParityCases.All.Select(c => c.Name)];

    [PythonTorchTheory]
    [MemberData(nameof(CaseNames))]
    public void Operation_matches_pytorch_forward_and_gradients(string name)
    {
        var parity = ParityCases.All.Single(c => c.Name == name);
        using var scope = torch.NewDisposeScope();

        // Fresh leaves per case, as the oracle does: floating inputs require grad, integer/bool ones do not.
        var leaves = new Dictionary<string, Tensor>();
        Tensor X(string input)
        {
            if (!leaves.TryGetValue(input, out var leaf))
            {
                var source = oracle.Inputs[input];
                leaf = source.clone();
                if (source.dtype is ScalarType.Float32)
                {
                    leaf.requires_grad = true;
                }
                leaves[input] = leaf;
            }
            return leaf;
        }

        var outputs = parity.Run(X);
        Tensor? loss = null;
        for (var i = 0; i < outputs.Length; i++)
        {
            TensorAssert.Close(oracle.Expected[$"{name}.out{i}"], outputs[i], parity.Tolerance, $"{name} output {i}");
            if (outputs[i].requires_grad)
            {
                var term = (outputs[i] * ParityInputs.Upstream(outputs[i])).sum();
                loss = loss is null ? term : loss + term;
            }
        }
        Assert.False(oracle.Expected.ContainsKey($"{name}.out{outputs.Length}"), $"{name}: the oracle returned more outputs");

        var expectedGrads = oracle.KeysOf(name).Where(k => k.StartsWith($"{name}.grad.", StringComparison.Ordinal))
            .Select(k => k[$"{name}.grad.".Length..]).Order().ToList();
        loss?.backward();
        var actualGrads = leaves.Where(kv => kv.Value.grad is not null).Select(kv => kv.Key).Order().ToList();
        Assert.Equal(expectedGrads, actualGrads);
        foreach (var input in expectedGrads)
        {
            TensorAssert.Close(oracle.Expected[$"{name}.grad.{input}"], leaves[input].grad!,
                parity.Tolerance.AtLeast(Tolerance.Reduction), $"{name} d/d{input}");
        }
    }

    [PythonTorchFact]
    public void Every_oracle_case_has_a_csharp_counterpart_and_vice_versa()
    {
        var csharp = ParityCases.All.Select(c => c.Name).Concat(ParityDirectCases.Names).Order().ToList();
        Assert.Equal(oracle.OracleCases.Order().ToList(), csharp);
    }

    [PythonTorchTheory]
    [MemberData(nameof(DirectNames))]
    public void Optimizer_and_block_steps_match_pytorch(string name)
    {
        using var scope = torch.NewDisposeScope();
        var actual = ParityDirectCases.Run(name, oracle.Inputs);
        var expectedKeys = oracle.KeysOf(name).Order().ToList();
        Assert.Equal(expectedKeys, actual.Keys.Select(k => $"{name}.{k}").Order().ToList());
        foreach (var (key, value) in actual)
        {
            TensorAssert.Close(oracle.Expected[$"{name}.{key}"], value, Tolerance.Composite, $"{name}.{key}");
        }
    }

    [PythonTorchFact]
    public void Block_module_matches_pytorch_forward_and_parameter_gradients()
    {
        using var scope = torch.NewDisposeScope();
        using var block = ParityBlock.FromInputs(oracle.Inputs);
        var input = oracle.Inputs["bx"].clone().requires_grad_();
        var output = block.call(input);
        TensorAssert.Close(oracle.Expected["block.out0"], output, Tolerance.Composite, "block module output");
        (output * ParityInputs.Upstream(output)).sum().backward();
        TensorAssert.Close(oracle.Expected["block.grad.bx"], input.grad!, Tolerance.Composite, "block d/dx");
        var named = block.named_parameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (oracleName, key) in ParityBlock.ParameterNames)
        {
            TensorAssert.Close(oracle.Expected[$"block.grad.{oracleName}"], named[key].grad!, Tolerance.Composite,
                $"block d/d{key}");
        }
    }

    public static TheoryData<string> DirectNames => [.. ParityDirectCases.Names];
}
