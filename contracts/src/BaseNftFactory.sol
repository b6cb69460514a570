// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {BaseNftCollection} from "./BaseNftCollection.sol";

/// @title BaseNftFactory
/// @notice Creates base-nft collections as EIP-1167 minimal-proxy clones of one BaseNftCollection implementation.
///         The caller becomes the collection's admin (DEFAULT_ADMIN_ROLE, PAUSER_ROLE); the engine's minter address
///         configured here gets MINTER_ROLE.
contract BaseNftFactory {
    /// @notice Emitted for every new collection (the clone's address is `collection`).
    event CollectionCreated(
        address indexed creator,
        address indexed collection,
        string name,
        string symbol,
        string baseURI
    );

    /// @notice The implementation or minter given to the constructor was the zero address.
    error ZeroAddress();

    address private immutable _implementation;
    // Immutable on purpose: there is no owner and no setter, so nobody can redirect MINTER_ROLE of future collections.
    // To change the minter, operators deploy a new factory (existing collections keep their roles; their admin can
    // grant or revoke MINTER_ROLE on each collection).
    address private immutable _minter;

    constructor(address implementation_, address minter_) {
        if (implementation_ == address(0) || minter_ == address(0)) revert ZeroAddress();
        _implementation = implementation_;
        _minter = minter_;
    }

    function createCollection(string calldata name, string calldata symbol, string calldata baseURI)
        external
        returns (address collection)
    {
        collection = Clones.clone(_implementation);
        BaseNftCollection(collection).initialize(name, symbol, baseURI, msg.sender, _minter);
        emit CollectionCreated(msg.sender, collection, name, symbol, baseURI);
    }

    function implementation() external view returns (address) {
        return _implementation;
    }

    function minter() external view returns (address) {
        return _minter;
    }
}
