using Microsoft.OpenApi;
using OrderHub.Api.Ordering;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Marks a store endpoint (cart, checkout, addresses, templates) on which a chain's head office may name one of its branches
/// with <c>?branchId=</c> (<see cref="StoreTarget"/>): documents the query parameter and the 404 for a store that is not one
/// of the caller's branches.
/// </summary>
public static class BranchTargetExtensions
{
    public static TBuilder WithBranchTarget<TBuilder>(this TBuilder b) where TBuilder : IEndpointConventionBuilder
    {
        b.ProducesStoreNotFound();
        return b.AddOpenApiOperationTransformer((op, _, _) =>
        {
            op.Parameters ??= [];
            if (!op.Parameters.Any(p => p.Name == StoreTarget.BranchParameter))
                op.Parameters.Add(new OpenApiParameter
                {
                    Name = StoreTarget.BranchParameter, In = ParameterLocation.Query, Required = false,
                    Description = "连锁总部为其分店操作时填分店的客户 id / A chain's head office names the branch it acts for (the branch's customer id)",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
                });
            return Task.CompletedTask;
        });
    }
}
