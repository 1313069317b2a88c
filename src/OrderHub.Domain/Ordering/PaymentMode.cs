namespace OrderHub.Domain.Ordering;

/// <summary>
/// When a store pays: <see cref="Credit"/> on delivery or on account (the order goes to review at once), <see cref="Prepay"/>
/// before review (待付款 first), or <see cref="Either"/> (the store chooses at checkout).
/// </summary>
public enum PaymentMode { Credit, Prepay, Either }

public static class PaymentModes
{
    public static string Name(this PaymentMode m) => m switch
    {
        PaymentMode.Prepay => "prepay",
        PaymentMode.Either => "either",
        _ => "credit",
    };

    public static string Label(this PaymentMode m) => m switch
    {
        PaymentMode.Prepay => "先付款后审核",
        PaymentMode.Either => "先付款或货到/账期付款，下单时选择",
        _ => "货到付款 / 账期",
    };

    /// <summary>Whether an order pays before review: always in prepay, never in credit, as the store chose in either.</summary>
    public static bool PaysFirst(this PaymentMode m, bool? storeChoosesPayFirst) => m switch
    {
        PaymentMode.Prepay => true,
        PaymentMode.Either => storeChoosesPayFirst == true,
        _ => false,
    };
}
